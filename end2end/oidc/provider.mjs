// A real OpenID Connect provider for tests: panva's oidc-provider (OpenID Certified) on loopback.
//
// This file owns the provider's setup: listening, issuer, clients, accounts and their claims,
// signing keys (RS256 and ES256), ID token lifetime. Tests start it as a child process
// (tests/aws/oidc_idp.py does) and read one JSON line, {"issuer": "http://127.0.0.1:PORT"}.
//
//   node end2end/oidc/provider.mjs [--port N] [--config FILE] [--keys FILE]
//
// Each option falls back to an environment variable: OIDC_PORT (0, the default, picks a free
// port), OIDC_CONFIG, OIDC_KEYS; OIDC_ID_TOKEN_TTL sets the ID token lifetime in seconds (3600).
//
// The config file is JSON:
//   {"clients": [{"client_id": "...", "client_secret": "...", "redirect_uris": ["..."],
//                 "token_endpoint_auth_method": "client_secret_basic" | "client_secret_post" | "none",
//                 "id_token_signed_response_alg": "RS256" | "ES256"}],
//    "accounts": {"alice": {"email": "...", "groups": [...], "https://aws.amazon.com/tags": {...}}}}
// An account's `sub` is its login name; its claims go into the ID token itself with only the
// `openid` scope. Anyone may sign in on the built-in development pages (devInteractions) with any
// login name and any password; a login not in `accounts` gets only `sub`. PKCE is required.
//
// The keys file holds the private JWKS and the cookie keys. It is created when missing and read
// when present, so a provider restarted with the same file signs with the same keys.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: { port: { type: 'string' }, config: { type: 'string' }, keys: { type: 'string' } },
});
const port = Number(args.port ?? process.env.OIDC_PORT ?? 0);
const configPath = args.config ?? process.env.OIDC_CONFIG;
const keysPath = args.keys ?? process.env.OIDC_KEYS;
const idTokenTtl = Number(process.env.OIDC_ID_TOKEN_TTL ?? 3600);

const config = configPath ? JSON.parse(readFileSync(configPath, 'utf8')) : {};
const accounts = config.accounts ?? {};
const clients = (config.clients ?? []).map((client) => ({
  grant_types: ['authorization_code'],
  response_types: ['code'],
  ...client,
}));

function newKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const kid = () => randomBytes(8).toString('hex');
  return {
    jwks: {
      keys: [
        { ...rsa, kid: `rsa-${kid()}`, alg: 'RS256', use: 'sig' },
        { ...ec, kid: `ec-${kid()}`, alg: 'ES256', use: 'sig' },
      ],
    },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}

function loadKeys() {
  if (keysPath && existsSync(keysPath)) return JSON.parse(readFileSync(keysPath, 'utf8'));
  const keys = newKeys();
  if (keysPath) writeFileSync(keysPath, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

// Every claim any account carries is released with the `openid` scope.
const claimNames = new Set(['sub']);
for (const claims of Object.values(accounts)) Object.keys(claims).forEach((n) => claimNames.add(n));

const keys = loadKeys();

// Listen first so that port 0 resolves to the real port the issuer names.
const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients,
  jwks: keys.jwks,
  cookies: { keys: keys.cookieKeys },
  claims: { openid: [...claimNames] },
  scopes: ['openid', 'offline_access'],
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'] },
  ttl: {
    IdToken: () => idTokenTtl,
    AccessToken: () => 3600,
    AuthorizationCode: () => 60,
    Interaction: () => 600,
    Session: () => 3600,
    Grant: () => 3600,
  },
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { ...(accounts[sub] ?? {}), sub };
      },
    };
  },
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
