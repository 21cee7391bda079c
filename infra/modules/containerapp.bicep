// The container path (hostingMode = 'containerApps'): the image from the Dockerfile in Azure Container
// Registry, pulled by the user-assigned managed identity (AcrPull, no registry password), run by
// Azure Container Apps in multiple-revision mode so a new revision can take a share of the traffic
// (canary) and the previous one can take it all back (rollback). See docs/deploy.md.
param registryName string
param environmentName string
param appName string
param location string
param tags object
param identityResourceId string
param principalId string
param applicationInsightsName string
@description('Image in the registry, repository:tag (e.g. teams-service-bot:1.4.0). Empty: a public placeholder until the first push.')
param image string
@description('Suffix of the revision this deployment creates (e.g. the image tag without dots).')
param revisionSuffix string
@description('Suffix of the revision that keeps the rest of the traffic; empty sends all traffic to the new revision.')
param stableRevisionSuffix string
@minValue(0)
@maxValue(100)
@description('Share of the traffic for the new revision while stableRevisionSuffix is set (e.g. 10 for a canary).')
param canaryPercent int
param appSettings object

@description('Delegated subnet for the Container Apps environment (workload profiles); empty = no VNet.')
param infrastructureSubnetId string = ''

@description('Resource id of the Log Analytics workspace the diagnostic settings send to.')
param logAnalyticsWorkspaceId string

// Built-in role: AcrPull.
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var placeholderImage = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'
var fullImage = empty(image) ? placeholderImage : '${registry.properties.loginServer}/${image}'
var traffic = empty(stableRevisionSuffix)
  ? [
      {
        latestRevision: true
        weight: 100
      }
    ]
  : [
      {
        revisionName: '${appName}--${stableRevisionSuffix}'
        weight: 100 - canaryPercent
      }
      {
        latestRevision: true
        weight: canaryPercent
      }
    ]

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
  }
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: registry
  name: guid(registry.id, principalId, acrPullRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource managedEnvironment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    // Console logs go to Azure Monitor (routed by diagnostic settings), so no workspace key is read.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    // In the VNet the environment reaches Cosmos DB, Search and OpenAI through their private
    // endpoints; ingress stays external (the Azure Bot Service calls /api/messages from outside).
    vnetConfiguration: empty(infrastructureSubnetId)
      ? null
      : {
          infrastructureSubnetId: infrastructureSubnetId
          internal: false
        }
    workloadProfiles: empty(infrastructureSubnetId)
      ? null
      : [
          {
            name: 'Consumption'
            workloadProfileType: 'Consumption'
          }
        ]
  }
}

resource containerApp 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'bot' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  dependsOn: [acrPull]
  properties: {
    managedEnvironmentId: managedEnvironment.id
    configuration: {
      activeRevisionsMode: 'Multiple'
      ingress: {
        external: true
        targetPort: 3978
        transport: 'auto'
        allowInsecure: false
        traffic: traffic
      }
      registries: [
        {
          server: registry.properties.loginServer
          identity: identityResourceId
        }
      ]
      secrets: [
        {
          name: 'appinsights-connection-string'
          value: applicationInsights.properties.ConnectionString
        }
      ]
    }
    template: {
      revisionSuffix: revisionSuffix
      containers: [
        {
          name: 'bot'
          image: fullImage
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: concat(
            map(items(appSettings), s => { name: s.key, value: s.value }),
            [
              { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', secretRef: 'appinsights-connection-string' }
            ]
          )
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: 3978
              }
              initialDelaySeconds: 10
              periodSeconds: 30
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/readyz'
                port: 3978
              }
              periodSeconds: 15
            }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: 3
      }
    }
  }
}


// Console (pino JSON on stdout) and system logs of every app in the environment (destination 'azure-monitor').
resource environmentDiagnostics 'Microsoft.Insights/diagnosticSettings@2016-09-01' = {
  scope: managedEnvironment
  name: 'to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      { category: 'ContainerAppConsoleLogs', enabled: true }
      { category: 'ContainerAppSystemLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

output registryName string = registry.name
output registryLoginServer string = registry.properties.loginServer
output name string = containerApp.name
output fqdn string = containerApp.properties.configuration.ingress.fqdn
