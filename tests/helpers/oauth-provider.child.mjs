// A real oauth2-mock-server in its own process: the package is ESM-only and Jest runs the tests
// as CommonJS, so the test talks to it over IPC (tests/helpers/oauth-provider.ts).
import process from 'node:process';
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');

let userinfo = { sub: 'johndoe' };
let tokenClaims = {};
server.service.on('beforeUserinfo', (response) => {
  response.body = { ...userinfo };
});
server.service.on('beforeTokenSigning', (token) => {
  Object.assign(token.payload, tokenClaims);
});

process.on('message', async (message) => {
  const { id, cmd, args = {} } = message;
  try {
    let result;
    if (cmd === 'buildToken') {
      result = await server.issuer.buildToken({
        expiresIn: args.expiresIn ?? 3600,
        scopesOrTransform: (header, payload) => {
          Object.assign(payload, args.claims ?? {});
          for (const key of args.remove ?? []) delete payload[key];
        },
      });
    } else if (cmd === 'setUserinfo') {
      userinfo = args.body;
    } else if (cmd === 'setTokenClaims') {
      tokenClaims = args.claims;
    } else if (cmd === 'stop') {
      await server.stop();
      process.send({ id, result: null }, () => process.exit(0));
      return;
    } else {
      throw new Error(`unknown command ${cmd}`);
    }
    process.send({ id, result });
  } catch (error) {
    process.send({ id, error: String(error?.message ?? error) });
  }
});

process.on('disconnect', () => process.exit(0));
process.send({ ready: true, url: server.issuer.url });
