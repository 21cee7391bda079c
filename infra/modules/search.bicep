// Azure AI Search with API keys disabled (Entra ID only), least privilege:
// - the bot's identity (appPrincipalId) gets Search Index Data Reader: it queries, never writes;
// - the ingestion identity (ingestPrincipalId, `npm run ingest`) gets Search Service Contributor
//   (create / update the index definition) and Search Index Data Contributor (write documents).
// appManagesIndex = true restores the old grant (the bot may also create the index); see docs/deploy.md.
param name string
param location string
param tags object

@allowed(['free', 'basic', 'standard', 'standard2', 'standard3'])
param sku string

@allowed(['disabled', 'free', 'standard'])
param semanticRankerPlan string

@description('Principal id of the bot\'s managed identity: Search Index Data Reader only.')
param appPrincipalId string

@description('Principal id of the ingestion identity: Search Service Contributor + Search Index Data Contributor.')
param ingestPrincipalId string

@description('Also grant the bot\'s identity Search Service Contributor (index create/update). Off by default.')
param appManagesIndex bool = false

@description('Enabled, or Disabled when the service is reached through a private endpoint only.')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

@description('Resource id of the Log Analytics workspace the diagnostic settings send to.')
param logAnalyticsWorkspaceId string

var searchIndexDataReaderRoleId = '1407120a-92aa-4202-b7e9-c0e197c71c8f'
var searchIndexDataContributorRoleId = '8ebe5a00-799e-43f5-93ac-243d3dce84a7'
var searchServiceContributorRoleId = '7ca78c08-252a-4471-8644-bb5ff32d4ba0'

resource search 'Microsoft.Search/searchServices@2025-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    replicaCount: 1
    partitionCount: 1
    hostingMode: 'default'
    disableLocalAuth: true
    semanticSearch: semanticRankerPlan
    publicNetworkAccess: publicNetworkAccess == 'Enabled' ? 'enabled' : 'disabled'
  }
}

resource appIndexDataReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: search
  name: guid(search.id, appPrincipalId, searchIndexDataReaderRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', searchIndexDataReaderRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appServiceContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (appManagesIndex) {
  scope: search
  name: guid(search.id, appPrincipalId, searchServiceContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', searchServiceContributorRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource ingestIndexDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: search
  name: guid(search.id, ingestPrincipalId, searchIndexDataContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', searchIndexDataContributorRoleId)
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource ingestServiceContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: search
  name: guid(search.id, ingestPrincipalId, searchServiceContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', searchServiceContributorRoleId)
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
  }
}


// Query and indexing operations to Log Analytics.
resource searchDiagnostics 'Microsoft.Insights/diagnosticSettings@2016-09-01' = {
  scope: search
  name: 'to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      { category: 'OperationLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

output endpoint string = 'https://${search.name}.search.windows.net'
output name string = search.name
output resourceId string = search.id
