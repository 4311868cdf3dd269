<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#-- Consent for MCP clients: who asks (mcp.clientName; for a metadata-document client also mcp.documentHost, who
     published its identity), where the code goes (mcp.redirectHost), which MCP server
     (mcp.resourceName / mcp.resourceUrl), and what. The data comes from Java (McpAuthorizationBean); values are
     HTML-escaped by Keycloak's FreeMarker output format. Non-MCP clients see keycloak.v2's consent page. -->
<@layout.registrationLayout bodyClass="oauth"; section>
    <#if section = "header">
        <p id="mcp-grant-title">
        <#if mcp??>
            ${msg("mcpGrantTitle", mcp.clientName)}
        <#elseif client.name?has_content>
            ${msg("oauthGrantTitle",advancedMsg(client.name))}
        <#else>
            ${msg("oauthGrantTitle",client.clientId)}
        </#if>
        </p>
    <#elseif section = "form">
        <div id="kc-oauth" class="content-area">
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
                <h3>${msg("oauthGrantRequest")}</h3>
            </#if>
            <ul id="mcp-scopes" class="${properties.kcListClass!}">
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

            <form class="${properties.kcFormClass} ${properties.kcMarginTopClass!}" action="${url.oauthAction}" method="POST">
                <input type="hidden" name="code" value="${oauth.code}">
                <@buttons.actionGroup horizontal=true>
                    <@buttons.button id="kc-login" name="accept" label=mcp???then("mcpAllow", "doYes")/>
                    <@buttons.button id="kc-cancel" name="cancel" label=mcp???then("mcpDeny", "doNo") type="secondary"/>
                </@buttons.actionGroup>
            </form>
        </div>
    </#if>
</@layout.registrationLayout>
