/** Who Google says signed in, from either the redirect flow or a Sign-In-with-Google ID token. */
export interface GoogleIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  picture?: string | undefined;
}
