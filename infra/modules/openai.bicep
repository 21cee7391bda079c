// Azure OpenAI account (Entra ID only) with the chat and embedding deployments, and
// Cognitive Services OpenAI User for the bot identity and for the ingestion identity (embeddings).
param name string
param location string
param tags object

@description('{ deploymentName, modelName, modelVersion, skuName, capacity }')
param chatModel object

@description('{ deploymentName, modelName, modelVersion, skuName, capacity }')
param embeddingModel object

@description('Principal id of the managed identity that gets Cognitive Services OpenAI User.')
param principalId string

@description('Principal id of the ingestion identity (`npm run ingest` computes embeddings): also Cognitive Services OpenAI User.')
param ingestPrincipalId string

@description('Enabled, or Disabled when the account is reached through a private endpoint only.')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

@description('Resource id of the Log Analytics workspace the diagnostic settings send to.')
param logAnalyticsWorkspaceId string

var openAiUserRoleId = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    // A custom subdomain is required for Entra ID (token) authentication.
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }
}

resource chatDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: chatModel.deploymentName
  sku: {
    name: chatModel.skuName
    capacity: chatModel.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: chatModel.modelName
      version: chatModel.modelVersion
    }
  }
}

resource embeddingDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: embeddingModel.deploymentName
  sku: {
    name: embeddingModel.skuName
    capacity: embeddingModel.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: embeddingModel.modelName
      version: embeddingModel.modelVersion
    }
  }
  // Deployments on one account must be created one at a time.
  dependsOn: [
    chatDeployment
  ]
}

resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account
  name: guid(account.id, principalId, openAiUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource ingestOpenAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account
  name: guid(account.id, ingestPrincipalId, openAiUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUserRoleId)
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
  }
}


// Requests (status, latency, tokens in metrics) and audit events to Log Analytics.
resource openAiDiagnostics 'Microsoft.Insights/diagnosticSettings@2016-09-01' = {
  scope: account
  name: 'to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      { category: 'Audit', enabled: true }
      { category: 'RequestResponse', enabled: true }
      { category: 'Trace', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

output endpoint string = account.properties.endpoint
output name string = account.name
output resourceId string = account.id
output chatDeploymentName string = chatDeployment.name
output embeddingDeploymentName string = embeddingDeployment.name
