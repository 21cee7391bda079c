// Cosmos DB for NoSQL: account (key auth disabled), the database, one container per entry of
// src/storage/containers.json (passed in by main.bicep) and the data-plane role of the bot identity.
param accountName string
param location string
param tags object
param databaseName string

@description('Entries of containers.json: [{ name, partitionKey, defaultTtlSeconds }].')
param containers array

@description('TTL for the transcripts container (overrides its default from containers.json).')
param transcriptTtlSeconds int

@allowed(['serverless', 'autoscale'])
param capacityMode string

param autoscaleMaxThroughput int

@description('Principal id of the managed identity that gets Cosmos DB Built-in Data Contributor.')
param dataContributorPrincipalId string

@description('Enabled, or Disabled when the account is reached through a private endpoint only.')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

@description('Resource id of the Log Analytics workspace the diagnostic settings send to.')
param logAnalyticsWorkspaceId string

// Cosmos DB Built-in Data Contributor (data plane; not an Azure RBAC role).
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: capacityMode == 'serverless' ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: publicNetworkAccess
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    // Serverless accounts reject throughput options; autoscale is shared at database level.
    options: capacityMode == 'autoscale' ? { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } } : {}
  }
}

resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for c in containers: {
    parent: database
    name: c.name
    properties: {
      resource: {
        id: c.name
        partitionKey: {
          paths: [c.partitionKey]
          kind: 'Hash'
          version: 2
        }
        defaultTtl: (c.name == 'transcripts') ? transcriptTtlSeconds : (c.defaultTtlSeconds)
      }
    }
  }
]

resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, dataContributorPrincipalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: dataContributorPrincipalId
    scope: account.id
  }
}


// Data-plane requests (status codes, RU, throttling) and control-plane operations to Log Analytics.
resource cosmosDiagnostics 'Microsoft.Insights/diagnosticSettings@2016-09-01' = {
  scope: account
  name: 'to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      { category: 'DataPlaneRequests', enabled: true }
      { category: 'QueryRuntimeStatistics', enabled: true }
      { category: 'PartitionKeyRUConsumption', enabled: true }
      { category: 'ControlPlaneRequests', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

output endpoint string = account.properties.documentEndpoint
output accountName string = account.name
output resourceId string = account.id
output databaseName string = database.name
