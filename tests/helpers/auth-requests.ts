import type { Express } from 'express';
import request from 'supertest';
import { DEFAULT_PASSWORD, uniqueEmail } from '../factories/users.factory';

/** Sign-up and log-in requests against `app` (an app with a mail outbox, say). */
export function authRequests(app: () => Express) {
  return {
    signUp: (email = uniqueEmail(), password = 'new-password-1') =>
      request(app()).post('/api/auth/register').send({ name: 'Sari Dewi', email, password }),
    logIn: (email: string, password = DEFAULT_PASSWORD) =>
      request(app()).post('/api/auth/login').send({ email, password }),
  };
}
