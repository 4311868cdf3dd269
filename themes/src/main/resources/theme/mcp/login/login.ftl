<#-- keycloak-mcp: keycloak.v2 login/login.ftl of Keycloak 26.7.3 with the blocks marked MCP. Upgrade: three-way diff against the new upstream. -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<#import "social-providers.ftl" as identityProviders>
<#-- MCP: replaces <#import "passkeys.ftl" as passkeys>: Keycloak 26.2 has no passkeys.ftl (the pack runs on 26.2 to 26.7) -->
<#assign mcpPasskeys = .get_optional_template("passkeys.ftl")>
<#if mcpPasskeys.exists><#import "passkeys.ftl" as passkeys></#if>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('username','password') displayInfo=realm.password && realm.registrationAllowed && !registrationDisabled??; section>
<!-- template: login.ftl -->

    <#if section = "header">
        ${msg("loginAccountTitle")}
    <#elseif section = "form">
        <#-- MCP: for an MCP authorization request, which client asks and for which MCP server (mcp.* from McpAuthorizationBean, HTML-escaped) -->
        <#if mcp??>
            <div id="mcp-login-context" class="mcp-login-context" role="note">
                <span id="mcp-login-client">${msg("mcpLoginClient", mcp.clientName)}</span>
                <#if mcp.resourceUrl??>
                    <span id="mcp-login-server">${msg("mcpLoginServer", mcp.resourceName, mcp.resourceUrl)}</span>
                </#if>
            </div>
        </#if>
        <#-- /MCP -->
        <div id="kc-form">
          <div id="kc-form-wrapper">
            <#if realm.password>
                <form id="kc-form-login" class="${properties.kcFormClass!}" onsubmit="login.disabled = true; return true;" action="${url.loginAction}" method="post" novalidate="novalidate">
                    <#if !usernameHidden??>
                        <#assign label>
                            <#if !realm.loginWithEmailAllowed>${msg("username")}<#elseif !realm.registrationEmailAsUsername>${msg("usernameOrEmail")}<#else>${msg("email")}</#if>
                        </#assign>
                        <@field.input name="username" label=label error=messagesPerField.getFirstError('username','password')
                            autofocus=true autocomplete="${(enableWebAuthnConditionalUI?has_content)?then('username webauthn', 'username')}" value=login.username!'' />
                        <@field.password name="password" label=msg("password") error="" forgotPassword=realm.resetPasswordAllowed autofocus=usernameHidden?? autocomplete="current-password">
                            <#if realm.rememberMe && !usernameHidden??>
                                <@field.checkbox name="rememberMe" label=msg("rememberMe") value=login.rememberMe?? />
                            </#if>
                        </@field.password>
                    <#else>
                        <@field.password name="password" label=msg("password") forgotPassword=realm.resetPasswordAllowed autofocus=usernameHidden?? autocomplete="current-password">
                            <#if realm.rememberMe && !usernameHidden??>
                                <@field.checkbox name="rememberMe" label=msg("rememberMe") value=login.rememberMe?? />
                            </#if>
                        </@field.password>
                    </#if>

                    <input type="hidden" id="id-hidden-input" name="credentialId" <#if auth.selectedCredential?has_content>value="${auth.selectedCredential}"</#if>/>
                    <@buttons.loginButton />
                </form>
            </#if>
            </div>
        </div>
        <#-- MCP: replaces <@passkeys.conditionalUIData /> with the same where passkeys.ftl exists -->
        <#if mcpPasskeys.exists><@passkeys.conditionalUIData /></#if>
    <#elseif section = "socialProviders" >
        <#if realm.password && social.providers?? && social.providers?has_content>
            <@identityProviders.show social=social/>
        </#if>
    <#elseif section = "info" >
        <#if realm.password && realm.registrationAllowed && !registrationDisabled??>
            <div id="kc-registration-container">
                <div id="kc-registration">
                    <span>${msg("noAccount")} <a href="${url.registrationUrl}">${msg("doRegister")}</a></span>
                </div>
            </div>
        </#if>
    </#if>

</@layout.registrationLayout>
