import type { Express } from 'express';
import { buildApp } from '../../src/app';
import { createMailer, type MailMessage, type MailTransport } from '../../src/lib/mailer';
import type { TestContext } from './context';

export interface MailOutbox {
  messages: MailMessage[];
  last: (to?: string) => MailMessage | undefined;
  /** The `token` query parameter of the last link mailed to `to`. */
  tokenSentTo: (to: string) => string | undefined;
}

/** An app like ctx.app whose mailer records messages instead of sending them. */
export function appWithOutbox(ctx: TestContext): { app: () => Express; outbox: MailOutbox } {
  const messages: MailMessage[] = [];
  const transport: MailTransport = { send: async (message) => void messages.push(message) };
  let app: Express | undefined;
  const last = (to?: string) =>
    [...messages].reverse().find((m) => to === undefined || m.to === to);
  return {
    app: () =>
      (app ??= buildApp({ ...ctx, mailer: createMailer(ctx.config, ctx.logger, transport) })),
    outbox: {
      messages,
      last,
      tokenSentTo: (to) => {
        const link = last(to)?.link;
        return link ? (new URL(link).searchParams.get('token') ?? undefined) : undefined;
      },
    },
  };
}
