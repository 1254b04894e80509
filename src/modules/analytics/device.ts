/** What is kept of the client's device: its class (CONTRACT #62 reads Mobile/Desktop) and user agent. */
export interface DeviceInfo {
  type: 'Mobile' | 'Desktop';
  userAgent?: string;
}

export function deviceFrom(userAgent: string | undefined): DeviceInfo {
  const ua = userAgent?.slice(0, 512);
  return {
    type: ua && /mobile/i.test(ua) ? 'Mobile' : 'Desktop',
    ...(ua ? { userAgent: ua } : {}),
  };
}
