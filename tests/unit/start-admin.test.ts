import { GENERATED_ADMIN_EMAIL, generatedAdmin } from '../../scripts/local-services/admin';

describe('the admin `npm start` generates for an embedded database', () => {
  it('in development without ADMIN_EMAIL/ADMIN_PASSWORD: a fixed e-mail and a fresh random password each time', () => {
    const first = generatedAdmin({});
    const second = generatedAdmin({ NODE_ENV: 'development' });
    expect(first?.email).toBe(GENERATED_ADMIN_EMAIL);
    expect(first?.password).toMatch(/^[\w-]{16}$/);
    expect(second?.password).not.toBe(first?.password);
  });

  it('never in production or test, and never when an admin is configured', () => {
    expect(generatedAdmin({ NODE_ENV: 'production' })).toBeUndefined();
    expect(generatedAdmin({ NODE_ENV: 'test' })).toBeUndefined();
    expect(
      generatedAdmin({ ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'x'.repeat(12) }),
    ).toBeUndefined();
    expect(generatedAdmin({ ADMIN_EMAIL: 'boss@example.com' })).toBeUndefined();
  });
});
