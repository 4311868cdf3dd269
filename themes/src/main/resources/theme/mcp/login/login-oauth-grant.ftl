<#-- keycloak-mcp: keycloak.v2 login/login-oauth-grant.ftl of Keycloak 26.7.3 with the blocks marked MCP. Upgrade: three-way diff against the new upstream. -->
<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<@layout.registrationLayout bodyClass="oauth"; section>
    <#if section = "header">
        <#-- MCP: replaces the header logo (client.attributes.logoUri, any URL; MCP clients get an https-only one below), <p> and <#if client.name>: title with an id, naming the MCP client -->
        <p id="mcp-grant-title">
        <#if mcp??>
            ${msg("mcpGrantTitle", mcp.clientName)}
        <#elseif client.name?has_content>
        <#-- /MCP -->
            ${msg("oauthGrantTitle",advancedMsg(client.name))}
        <#else>
            ${msg("oauthGrantTitle",client.clientId)}
        </#if>
        </p>
    <#elseif section = "form">
        <div id="kc-oauth" class="content-area">
            <#-- MCP: who asks (name, logo, website, document host), how it registered, which MCP server, where the code goes; all from McpAuthorizationBean, HTML-escaped -->
            <#if mcp??>
                <div class="mcp-client">
                    <#if mcp.logoUrl??>
                        <img id="mcp-client-logo" class="mcp-client-logo" src="${mcp.logoUrl}" alt="${msg("mcpGrantLogoAlt", mcp.clientName)}" referrerpolicy="no-referrer">
                    <#else>
                        <span id="mcp-client-logo-placeholder" class="mcp-client-logo mcp-client-logo-placeholder" aria-hidden="true">${mcp.initial}</span>
                    </#if>
                    <div>
                        <p id="mcp-client-name" class="mcp-client-name">${mcp.clientName}</p>
                        <#if mcp.websiteUrl??>
                            <a id="mcp-client-website" href="${mcp.websiteUrl}" target="_blank" rel="noopener noreferrer nofollow">${mcp.websiteUrl}</a>
                        </#if>
                    </div>
                </div>
                <#if mcp.selfRegistered>
                    <p id="mcp-unverified" class="mcp-unverified" role="note">${msg(mcp.documentHost???then("mcpGrantUnverifiedDocument", "mcpGrantUnverified"))}</p>
                    <#if mcp.loopbackOnly>
                        <p id="mcp-loopback-only" class="mcp-unverified" role="note">${msg("mcpGrantLoopbackOnly", mcp.clientName)}</p>
                    </#if>
                <#elseif mcp.registeredByOrganisation>
                    <p id="mcp-verified" class="mcp-verified" role="note">${msg("mcpGrantVerified")}</p>
                </#if>
                <dl class="mcp-request">
                    <#if mcp.documentHost??>
                        <dt>${msg("mcpGrantIdentity")}</dt>
                        <dd id="mcp-document-host">${msg("mcpGrantIdentityDocument", mcp.documentHost)}</dd>
                    </#if>
                    <#if mcp.resourceUrl??>
                        <dt>${msg("mcpGrantServer")}</dt>
                        <dd id="mcp-resource"><span id="mcp-resource-name">${mcp.resourceName}</span> (<span id="mcp-resource-url">${mcp.resourceUrl}</span>)</dd>
                    </#if>
                    <#if mcp.redirectHost??>
                        <dt>${msg("mcpGrantRedirect")}</dt>
                        <dd id="mcp-redirect-host">
                            <#if mcp.redirectLoopback>${msg("mcpGrantRedirectLoopback", mcp.redirectHost)}<#else>${mcp.redirectHost}</#if>
                        </dd>
                    </#if>
                </dl>
                <h3>${msg("mcpGrantScopes")}</h3>
            <#else>
            <#-- /MCP -->
            <h3>${msg("oauthGrantRequest")}</h3>
            <#-- MCP: closes the MCP branch above; replaces <ul class=...> with the same list with an id -->
            </#if>
            <ul id="mcp-scopes" class="${properties.kcListClass!}">
            <#-- /MCP -->
                <#if oauth.clientScopesRequested??>
                    <#list oauth.clientScopesRequested as clientScope>
                        <li>
                            <span><#if !clientScope.parameterizedScopeParameter??>
                                        ${advancedMsg(clientScope.consentScreenText)}
                                    <#else>
                                        ${advancedMsg(clientScope.consentScreenText, clientScope.parameterizedScopeParameter)}
                                </#if>
                            </span>
                        </li>
                    </#list>
                </#if>
            </ul>
            <#-- MCP: replaces the block of links to the client's terms and policy (client.attributes.tosUri/policyUri) with nothing: the page shows only URLs McpAuthorizationBean checked -->
            <#-- /MCP -->

            <form class="${properties.kcFormClass} ${properties.kcMarginTopClass!}" action="${url.oauthAction}" method="POST">
                <input type="hidden" name="code" value="${oauth.code}">
                <@buttons.actionGroup horizontal=true>
                    <#-- MCP: replaces label="doYes" / label="doNo": MCP clients get Allow / Deny; Deny also names its class,
                         which keeps it secondary on Keycloak before 26.7, whose button macro has no type -->
                    <@buttons.button id="kc-login" name="accept" label=mcp???then("mcpAllow", "doYes")/>
                    <@buttons.button id="kc-cancel" name="cancel" label=mcp???then("mcpDeny", "doNo") type="secondary" class=["kcButtonSecondaryClass"]/>
                    <#-- /MCP -->
                </@buttons.actionGroup>
            </form>
        </div>
    </#if>
</@layout.registrationLayout>
