// Enterprise-managed authorization (SEP-990) with the official TypeScript SDK's v2 client (@modelcontextprotocol/client,
// pinned in package.json): its CrossAppAccessProvider, whose assertion callback asks the enterprise IdP for an ID-JAG
// with requestJwtAuthorizationGrant (RFC 8693 token exchange of the user's ID token), then redeems it at the MCP
// server's authorization server (jwt-bearer grant, client_secret_basic). No browser. It calls the tool MCP_TOOL (default
// whoami) and prints TOKENS <json> and {"text": ...} on stdout. EnterpriseAuthorizationIT runs it.
//   MCP_CLIENT_MODULE (.../@modelcontextprotocol/client/dist/index.mjs), MCP_SERVER_URL, MCP_EXPECTED_ISSUER,
//   MCP_CLIENT_ID, MCP_CLIENT_SECRET (the client at the MCP server's authorization server),
//   IDP_TOKEN_ENDPOINT, IDP_CLIENT_ID, IDP_CLIENT_SECRET, ID_TOKEN (the user's ID token from the IdP)
import { pathToFileURL } from 'node:url';

const { Client, StreamableHTTPClientTransport, CrossAppAccessProvider, requestJwtAuthorizationGrant } =
  await import(pathToFileURL(process.env.MCP_CLIENT_MODULE).href);
const env = process.env;

class PrintingProvider extends CrossAppAccessProvider {
  saveTokens(tokens) {
    super.saveTokens(tokens);
    console.log('TOKENS ' + JSON.stringify(tokens));
  }
}

const provider = new PrintingProvider({
  clientId: env.MCP_CLIENT_ID,
  clientSecret: env.MCP_CLIENT_SECRET,
  expectedIssuer: env.MCP_EXPECTED_ISSUER,
  clientName: 'EMA IT (@modelcontextprotocol/client)',
  assertion: async (ctx) => {
    console.log('EXCHANGE ' + JSON.stringify({ audience: ctx.authorizationServerUrl, resource: ctx.resourceUrl, scope: ctx.scope }));
    const grant = await requestJwtAuthorizationGrant({
      tokenEndpoint: env.IDP_TOKEN_ENDPOINT,
      audience: ctx.authorizationServerUrl,
      resource: ctx.resourceUrl,
      idToken: env.ID_TOKEN,
      clientId: env.IDP_CLIENT_ID,
      clientSecret: env.IDP_CLIENT_SECRET,
      scope: ctx.scope,
      fetchFn: ctx.fetchFn,
    });
    return grant.jwtAuthGrant;
  },
});

try {
  const client = new Client({ name: 'keycloak-mcp-ema-client', version: '1.0.0' }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(new URL(env.MCP_SERVER_URL), { authProvider: provider });
  await client.connect(transport);
  const result = await client.callTool({ name: env.MCP_TOOL || 'whoami', arguments: {} });
  console.log(JSON.stringify({ text: result.content[0].text, isError: result.isError === true }));
  await transport.close();
} catch (error) {
  console.error(`EMA client failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
}
