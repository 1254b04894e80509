import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config';
import type { Logger } from './logger';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The one link the mail is about; logged in development mode so a developer can follow it. */
  link?: string;
}

/** Anything that delivers a message; tests pass one that records messages. */
export interface MailTransport {
  send(message: MailMessage & { from: string }): Promise<void>;
}

export interface Mailer {
  /** Best effort: a failure is logged, never thrown. */
  send(message: MailMessage): Promise<void>;
  /** For mails that are the action itself (an admin's reply): a failure is thrown. */
  deliver(message: MailMessage): Promise<void>;
}

export function smtpTransport(config: Readonly<Config>): MailTransport {
  const transporter: Transporter = nodemailer.createTransport({
    host: config.mail.host,
    port: config.mail.port,
    secure: config.mail.secure,
    auth: config.mail.user ? { user: config.mail.user, pass: config.mail.password } : undefined,
  });
  return {
    send: async ({ from, to, subject, text }) => {
      await transporter.sendMail({ from, to, subject, text });
    },
  };
}

/** Without SMTP the mail is written to the log (info), so a developer can follow its link. */
export function logTransport(logger: Logger): MailTransport {
  return {
    send: async ({ to, subject, link }) => {
      logger.info(
        { mail: { to, subject, link } },
        `mail not sent (SMTP_HOST is empty): ${subject}`,
      );
    },
  };
}

/**
 * Sends mail without ever failing the request that triggered it: a broken SMTP server must not
 * turn a registration into a 500 (the user can ask for another link), so errors are logged.
 */
export function createMailer(
  config: Readonly<Config>,
  logger: Logger,
  transport?: MailTransport,
): Mailer {
  const delivery = transport ?? (config.mail.host ? smtpTransport(config) : logTransport(logger));
  return {
    deliver: (message) => delivery.send({ ...message, from: config.mail.from }),
    send: async (message) => {
      try {
        await delivery.send({ ...message, from: config.mail.from });
      } catch (error) {
        logger.error(
          { err: error, mail: { to: message.to, subject: message.subject } },
          'mail delivery failed',
        );
      }
    },
  };
}
