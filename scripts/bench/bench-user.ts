import type { Config } from '../../src/config';
import { UserModel } from '../../src/models/user.model';
import { signAccessToken } from '../../src/modules/auth/access-token';

/**
 * A plain user and an `Authorization` header value for it. Benches authenticate by token only, so
 * the stored hash is a well-formed placeholder (no argon2 cost at setup).
 */
export async function createBenchUser(
  config: Readonly<Config>,
  email: string,
): Promise<{ userId: string; auth: string }> {
  const user = await UserModel.create({
    name: 'Bench User',
    email,
    password: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
  });
  const token = signAccessToken(config, {
    userId: String(user._id),
    email: user.email,
    name: user.name,
    role: 'user',
    tv: 0,
  });
  return { userId: String(user._id), auth: `Bearer ${token}` };
}
