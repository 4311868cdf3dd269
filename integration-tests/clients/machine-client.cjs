// A machine MCP client on the official TypeScript SDK (@modelcontextprotocol/sdk, pinned in package.json): it gets a
// token with the client_credentials grant through the SDK's own provider, then calls the tool MCP_TOOL (default whoami)
// and prints {"text": ...} on stdout. ClientCredentialsIT runs it with NODE_PATH set to the installed clients.
//   MCP_SERVER_URL, MCP_EXPECTED_ISSUER, MCP_CLIENT_ID, MCP_SCOPE (optional)
//   private_key_jwt:     MCP_CLIENT_PRIVATE_KEY_PEM, MCP_CLIENT_ALGORITHM (PrivateKeyJwtProvider)
//   client_secret_basic: MCP_CLIENT_SECRET (ClientCredentialsProvider)
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { ClientCredentialsProvider, PrivateKeyJwtProvider } = require('@modelcontextprotocol/sdk/client/auth-extensions.js');

function provider(env) {
  const common = { clientId: env.MCP_CLIENT_ID, expectedIssuer: env.MCP_EXPECTED_ISSUER, scope: env.MCP_SCOPE || undefined };
  if (env.MCP_CLIENT_PRIVATE_KEY_PEM) {
    return new PrivateKeyJwtProvider({ ...common, privateKey: env.MCP_CLIENT_PRIVATE_KEY_PEM, algorithm: env.MCP_CLIENT_ALGORITHM });
  }
  return new ClientCredentialsProvider({ ...common, clientSecret: env.MCP_CLIENT_SECRET });
}

async function main() {
  const client = new Client({ name: 'keycloak-mcp-machine-client', version: '1.0.0' }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(new URL(process.env.MCP_SERVER_URL), { authProvider: provider(process.env) });
  await client.connect(transport);
  const result = await client.callTool({ name: process.env.MCP_TOOL || 'whoami', arguments: {} });
  console.log(JSON.stringify({ text: result.content[0].text, isError: result.isError === true }));
  await transport.close();
}

main().catch((error) => {
  console.error(`machine client failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
