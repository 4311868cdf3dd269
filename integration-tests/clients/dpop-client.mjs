// A real MCP client with DPoP: the official TypeScript SDK's v2 client (@modelcontextprotocol/client), as DpopIT
// drives it. It registers (asking for dpop_bound_access_tokens), prints the authorization URL, reads the redirect the
// test's browser got back on stdin, gets DPoP-bound tokens and calls a tool twice (a fresh proof each time).
// Usage: MCP_CLIENT_MODULE=<.../@modelcontextprotocol/client/dist/index.mjs> node dpop-client.mjs <mcp-url> <redirect-uri>
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const { Client, StreamableHTTPClientTransport, UnauthorizedError, DpopSession } =
  await import(pathToFileURL(process.env.MCP_CLIENT_MODULE).href);
const [mcpUrl, redirectUri] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const dpop = await DpopSession.create({ alg: 'ES256' });
let clientInformation, tokens, verifier;

const provider = {
  get redirectUrl() { return redirectUri; },
  get clientMetadata() {
    return {
      client_name: 'DPoP IT (@modelcontextprotocol/client)', redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
      token_endpoint_auth_method: 'none', scope: 'mcp:tools', dpop_bound_access_tokens: true,
    };
  },
  clientInformation() { return clientInformation; },
  saveClientInformation(information) { clientInformation = information; console.log('REGISTERED ' + JSON.stringify(information)); },
  tokens() { return tokens; },
  saveTokens(saved) { tokens = saved; console.log('TOKENS ' + JSON.stringify(saved)); },
  redirectToAuthorization(url) { console.log('AUTHORIZE ' + url.href); },
  saveCodeVerifier(saved) { verifier = saved; },
  codeVerifier() { return verifier; },
  dpop() { return dpop; },
};

const open = () => {
  const client = new Client({ name: 'dpop-it', version: '1.0.0' });
  return { client, transport: new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }) };
};

console.log('THUMBPRINT ' + dpop.thumbprint);
let { client, transport } = open();
try {
  await client.connect(transport);
} catch (error) {
  if (!(error instanceof UnauthorizedError)) throw error;
  const redirect = (await lines.next()).value;
  await transport.finishAuth(new URL(redirect).searchParams);
  ({ client, transport } = open());
  await client.connect(transport);
}
for (const call of [1, 2]) {
  console.log(`RESULT ${call} ` + JSON.stringify(await client.callTool({ name: 'whoami', arguments: {} })));
}
await client.close();
process.exit(0);
