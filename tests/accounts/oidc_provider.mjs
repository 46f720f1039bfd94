// A real OpenID Connect provider (the npm package oidc-provider) for the sign-in tests, on 127.0.0.1.
//
// Started by tests/accounts/conftest.py. It listens on a free port, then prints one JSON line
// {"issuer": "http://127.0.0.1:PORT"} on standard output. Its own login form checks the user name and
// password against the JSON file OIDC_USERS_FILE, read again at every request, so a test changes a
// user's groups between two logins by rewriting the file:
//   {"anna": {"password": "...", "given_name": "Anna", "family_name": "Berg", "email": "...",
//             "groups": ["lon-handlaggare", "lon-enhet-1"]}}
// The test client is registered from OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS and
// OIDC_POST_LOGOUT_REDIRECT_URIS (space separated). Consent is given without asking, as a city's
// provider does for its own applications.
import fs from 'node:fs';
import http from 'node:http';
import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const usersFile = env('OIDC_USERS_FILE');
const readUsers = () => JSON.parse(fs.readFileSync(usersFile, 'utf8'));
// The subject (sub) is not the user name, as at a real provider: `sub-<user name>` unless set.
const subjectOf = (username, account) => account.sub || `sub-${username}`;
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, error = '') {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>City sign-in</title></head><body>
<h1>City sign-in</h1>${error ? `<p class="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" id="login">
<label>User name <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form></body></html>`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; if (body.length > 10000) reject(new Error('body too large')); });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (req.method === 'GET' && prompt.name === 'login') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(loginPage(uid));
    return;
  }
  if (req.method === 'POST' && req.url.endsWith('/login') && prompt.name === 'login') {
    const form = await readBody(req);
    const account = readUsers()[form.get('login')];
    if (!account || account.password !== form.get('password')) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(loginPage(uid, 'Wrong user name or password.'));
      return;
    }
    const accountId = subjectOf(form.get('login'), account);
    await provider.interactionFinished(req, res, { login: { accountId } }, {
      mergeWithLastSubmission: false,
    });
    return;
  }
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.statusCode = 400;
  res.end(`unexpected interaction ${prompt.name}`);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: env('OIDC_CLIENT_ID'),
      client_secret: env('OIDC_CLIENT_SECRET'),
      redirect_uris: env('OIDC_REDIRECT_URIS').split(' '),
      post_logout_redirect_uris: env('OIDC_POST_LOGOUT_REDIRECT_URIS').split(' '),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email'],
      profile: ['given_name', 'family_name', 'preferred_username'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(ctx, sub) {
      const found = Object.entries(readUsers()).find(([username, account]) => subjectOf(username, account) === sub);
      if (!found) return undefined;
      const [username, account] = found;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            preferred_username: username,
            given_name: account.given_name || '',
            family_name: account.family_name || '',
            email: account.email || '',
            groups: account.groups || [],
          };
        },
      };
    },
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url.startsWith('/interaction/')) {
      interaction(provider, req, res).catch((error) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    } else {
      callback(req, res);
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
