/**
 * Where department systems' OAuth2 clients live: in the embedded provider's storage (created
 * directly), or in Keycloak (created there by an operator; we record the system and say how).
 */
export type IdentityProviderMode = 'embedded' | 'external';

export function keycloakInstructions(clientId: string, departmentCode: string) {
  return {
    clientId,
    instructions:
      `在 Keycloak realm gov-exchange 中创建机密客户端 ${clientId}（启用 service accounts，` +
      `默认 client scope: gov-exchange-api-audience、gov-exchange-department），` +
      `为其服务账号授予 realm 角色 system，并设置用户属性 department=${departmentCode}。` +
      ' See deploy/keycloak/README.md.',
  };
}
