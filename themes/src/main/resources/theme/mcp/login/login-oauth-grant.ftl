<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#-- Consent for MCP clients: who asks (mcp.clientName), where the code goes (mcp.redirectHost), which MCP server
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
                <#if mcp.selfRegistered>
                    <p id="mcp-unverified" class="mcp-unverified" role="note">${msg("mcpGrantUnverified")}</p>
                </#if>
                <dl class="mcp-request">
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
                    <@buttons.button id="kc-login" name="accept" label="doYes"/>
                    <@buttons.button id="kc-cancel" name="cancel" label="doNo" type="secondary"/>
                </@buttons.actionGroup>
            </form>
        </div>
    </#if>
</@layout.registrationLayout>
