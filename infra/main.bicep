// Azure resources for the Teams service bot. Deployed by `teamsapp provision` (arm/deploy in
// teamsapp.yml); every output below is written to env/.env.<environment> in UPPER_SNAKE form.
// No output carries a key or a secret: every service is reached with the bot's managed identity.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(24)
@description('Name of the Teams Toolkit environment (dev, staging, ...); part of every resource name and tag.')
param environmentName string

@description('Azure region for the resources (the Azure Bot itself is global).')
param location string = resourceGroup().location

@maxLength(42)
@description('Display name of the Azure Bot resource.')
param botDisplayName string = 'Service Bot'

@description('App Service Linux Node.js runtime (linuxFxVersion NODE|<value>). The project targets Node 22 LTS (engines >=22).')
param nodeVersion string = '22-lts'

@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3'])
@description('App Service plan SKU. Always On needs Basic (B1) or higher.')
param appServicePlanSku string = 'B1'

@allowed(['serverless', 'autoscale'])
@description('Cosmos DB capacity mode: serverless (pay per request) or provisioned autoscale throughput.')
param cosmosCapacityMode string = 'serverless'

@minValue(1000)
@description('Autoscale maximum RU/s shared by the database; used only when cosmosCapacityMode is autoscale.')
param cosmosAutoscaleMaxThroughput int = 1000

@minValue(0)
@description('Transcript retention in days; 0 keeps the default TTL from src/storage/containers.json.')
param transcriptTtlDays int = 0

@allowed(['free', 'basic', 'standard', 'standard2', 'standard3'])
@description('Azure AI Search SKU. The free SKU has no semantic ranker.')
param searchSku string = 'basic'

@allowed(['free', 'standard'])
@description('Semantic ranker plan (ignored on the free Search SKU, where it is disabled).')
param searchSemanticRankerPlan string = 'free'

@description('Chat model deployment: deployment name, model name and version, SKU and capacity (thousands of tokens per minute).')
param chatModel object = {
  deploymentName: 'gpt-4o-mini'
  modelName: 'gpt-4o-mini'
  modelVersion: '2024-07-18'
  skuName: 'GlobalStandard'
  capacity: 30
}

@description('Embedding model deployment: deployment name, model name and version, SKU and capacity (thousands of tokens per minute).')
param embeddingModel object = {
  deploymentName: 'text-embedding-3-small'
  modelName: 'text-embedding-3-small'
  modelVersion: '1'
  skuName: 'Standard'
  capacity: 30
}

@description('Azure OpenAI data-plane API version the bot calls.')
param openAiApiVersion string = '2024-10-21'

// ONE source of truth for database, containers (partition keys, TTLs) and the search index name:
// the same JSON file the application code reads.
@description('appService (default: zip deploy to App Service) or containerApps (the Dockerfile image in Azure Container Apps, pulled from Azure Container Registry).')
@allowed(['appService', 'containerApps'])
param hostingMode string = 'appService'

@description('containerApps: image in the registry as repository:tag; empty deploys a placeholder until the first push.')
param containerImage string = ''

@description('containerApps: suffix of the revision this deployment creates (e.g. v1-4-0).')
param revisionSuffix string = 'initial'

@description('containerApps: suffix of the revision that keeps the rest of the traffic during a canary; empty = all traffic to the new revision.')
param stableRevisionSuffix string = ''

@description('containerApps: share of traffic (percent) for the new revision while stableRevisionSuffix is set.')
@minValue(0)
@maxValue(100)
param canaryPercent int = 10

@description('Also grant the bot\'s identity Search Service Contributor, so it may create or update the index itself. Off: the bot only reads (Search Index Data Reader); the ingestion identity creates the index.')
param searchAppManagesIndex bool = false

@description('E-mail address notified by the alert rules (modules/alerts.bicep); empty = rules without a receiver.')
param alertEmail string = ''

@description('Private endpoints for Cosmos DB, AI Search and Azure OpenAI (public network access disabled on all three), a VNet with private DNS zones, and the app\'s outbound traffic through the VNet. Off by default.')
param privateNetworking bool = false

var storage = loadJsonContent('../src/storage/containers.json')

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
  application: 'teams-service-bot'
  'managed-by': 'teams-toolkit'
}
var transcriptDefaultTtlSeconds = first(filter(storage.containers, c => c.name == 'transcripts')).defaultTtlSeconds
var transcriptTtlSeconds = transcriptTtlDays > 0 ? transcriptTtlDays * 86400 : transcriptDefaultTtlSeconds
var semanticSearchEnabled = searchSku != 'free'
var servicePublicNetworkAccess = privateNetworking ? 'Disabled' : 'Enabled'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-bot-${resourceToken}'
    location: location
    tags: tags
  }
}

// A second identity for index creation and ingestion (`npm run ingest`): the bot never writes to Search.
module ingestIdentity 'modules/identity.bicep' = {
  name: 'ingest-identity'
  params: {
    name: 'id-ingest-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

// Private networking (privateNetworking = true): VNet, private DNS zones, one private endpoint per service.
module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  params: {
    name: 'vnet-${resourceToken}'
    location: location
    tags: tags
  }
}

module cosmosPrivateEndpoint 'modules/privateendpoint.bicep' = if (privateNetworking) {
  name: 'cosmos-private-endpoint'
  params: {
    name: 'pe-cosmos-${resourceToken}'
    location: location
    tags: tags
    serviceResourceId: cosmos.outputs.resourceId
    groupId: 'Sql'
    subnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneId: network.outputs.cosmosDnsZoneId
  }
}

module searchPrivateEndpoint 'modules/privateendpoint.bicep' = if (privateNetworking) {
  name: 'search-private-endpoint'
  params: {
    name: 'pe-search-${resourceToken}'
    location: location
    tags: tags
    serviceResourceId: search.outputs.resourceId
    groupId: 'searchService'
    subnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneId: network.outputs.searchDnsZoneId
  }
}

module openAiPrivateEndpoint 'modules/privateendpoint.bicep' = if (privateNetworking) {
  name: 'openai-private-endpoint'
  params: {
    name: 'pe-openai-${resourceToken}'
    location: location
    tags: tags
    serviceResourceId: openAi.outputs.resourceId
    groupId: 'account'
    subnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneId: network.outputs.openAiDnsZoneId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: 'cosmos-${resourceToken}'
    location: location
    tags: tags
    databaseName: storage.database
    containers: storage.containers
    transcriptTtlSeconds: transcriptTtlSeconds
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    dataContributorPrincipalId: identity.outputs.principalId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    publicNetworkAccess: servicePublicNetworkAccess
  }
}

module search 'modules/search.bicep' = {
  name: 'search'
  params: {
    name: 'srch-${resourceToken}'
    location: location
    tags: tags
    sku: searchSku
    semanticRankerPlan: semanticSearchEnabled ? searchSemanticRankerPlan : 'disabled'
    appPrincipalId: identity.outputs.principalId
    ingestPrincipalId: ingestIdentity.outputs.principalId
    appManagesIndex: searchAppManagesIndex
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    publicNetworkAccess: servicePublicNetworkAccess
  }
}

module openAi 'modules/openai.bicep' = {
  name: 'openai'
  params: {
    name: 'oai-${resourceToken}'
    location: location
    tags: tags
    chatModel: chatModel
    embeddingModel: embeddingModel
    principalId: identity.outputs.principalId
    ingestPrincipalId: ingestIdentity.outputs.principalId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    publicNetworkAccess: servicePublicNetworkAccess
  }
}

// App Service plan and web app: only in the default hosting mode (containerApps runs the image instead).
module app 'modules/appservice.bicep' = if (hostingMode == 'appService') {
  name: 'appservice'
  params: {
    planName: 'plan-${resourceToken}'
    appName: 'app-bot-${resourceToken}'
    location: location
    tags: tags
    sku: appServicePlanSku
    nodeVersion: nodeVersion
    identityResourceId: identity.outputs.resourceId
    // Read inside the module from the resource, so the connection string never passes through outputs.
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    vnetSubnetId: privateNetworking ? network.outputs.appServiceSubnetId : ''
    // Endpoints and names only: the app authenticates to every service with the managed identity.
    appSettings: {
      BOT_ID: identity.outputs.clientId
      BOT_TYPE: 'UserAssignedMsi'
      BOT_TENANT_ID: identity.outputs.tenantId
      AZURE_CLIENT_ID: identity.outputs.clientId
      AZURE_OPENAI_ENDPOINT: openAi.outputs.endpoint
      AZURE_OPENAI_DEPLOYMENT: openAi.outputs.chatDeploymentName
      AZURE_OPENAI_EMBEDDING_DEPLOYMENT: openAi.outputs.embeddingDeploymentName
      AZURE_OPENAI_API_VERSION: openAiApiVersion
      AZURE_SEARCH_ENDPOINT: search.outputs.endpoint
      AZURE_SEARCH_INDEX: storage.searchIndex
      // ARM's string(bool) yields 'True'/'False'; the app expects lower case.
      AZURE_SEARCH_SEMANTIC: semanticSearchEnabled ? 'true' : 'false'
      COSMOS_ENDPOINT: cosmos.outputs.endpoint
      COSMOS_DATABASE: cosmos.outputs.databaseName
      TRANSCRIPT_TTL_DAYS: string(transcriptTtlSeconds / 86400)
      RUNNING_ON_AZURE: '1'
      NODE_ENV: 'production'
      // The package is built by `teamsapp deploy` (npm ci + build) and mounted read-only.
      WEBSITE_RUN_FROM_PACKAGE: '1'
      SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    }
  }
}

module containerApp 'modules/containerapp.bicep' = if (hostingMode == 'containerApps') {
  name: 'containerapp'
  params: {
    registryName: 'cr${resourceToken}'
    environmentName: 'cae-${resourceToken}'
    appName: 'ca-bot-${resourceToken}'
    location: location
    tags: tags
    identityResourceId: identity.outputs.resourceId
    principalId: identity.outputs.principalId
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    infrastructureSubnetId: privateNetworking ? network.outputs.containerAppsSubnetId : ''
    image: containerImage
    revisionSuffix: revisionSuffix
    stableRevisionSuffix: stableRevisionSuffix
    canaryPercent: canaryPercent
    // The App Service settings without the zip-deploy ones (the image already holds the build).
    appSettings: {
      BOT_ID: identity.outputs.clientId
      BOT_TYPE: 'UserAssignedMsi'
      BOT_TENANT_ID: identity.outputs.tenantId
      AZURE_CLIENT_ID: identity.outputs.clientId
      AZURE_OPENAI_ENDPOINT: openAi.outputs.endpoint
      AZURE_OPENAI_DEPLOYMENT: openAi.outputs.chatDeploymentName
      AZURE_OPENAI_EMBEDDING_DEPLOYMENT: openAi.outputs.embeddingDeploymentName
      AZURE_OPENAI_API_VERSION: openAiApiVersion
      AZURE_SEARCH_ENDPOINT: search.outputs.endpoint
      AZURE_SEARCH_INDEX: storage.searchIndex
      AZURE_SEARCH_SEMANTIC: semanticSearchEnabled ? 'true' : 'false'
      COSMOS_ENDPOINT: cosmos.outputs.endpoint
      COSMOS_DATABASE: cosmos.outputs.databaseName
      TRANSCRIPT_TTL_DAYS: string(transcriptTtlSeconds / 86400)
      RUNNING_ON_AZURE: '1'
    }
  }
}

var botHostName = hostingMode == 'containerApps' ? containerApp.outputs.fqdn : app.outputs.defaultHostName

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: 'bot-${resourceToken}'
    displayName: botDisplayName
    tags: tags
    messagingEndpoint: 'https://${botHostName}/api/messages'
    identityResourceId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    identityTenantId: identity.outputs.tenantId
  }
}

// The README's alert list as Azure Monitor alert rules on Application Insights, and a /readyz availability test.
module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    botHostName: botHostName
    alertEmail: alertEmail
  }
}

// Written by arm/deploy into env/.env.<environment> (name upper-cased). Names and endpoints only.
output BOT_ID string = identity.outputs.clientId
output BOT_TENANT_ID string = identity.outputs.tenantId
output BOT_DOMAIN string = botHostName
output BOT_ENDPOINT string = 'https://${botHostName}'
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = hostingMode == 'appService' ? app.outputs.resourceId : ''
output BOT_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output BOT_SERVICE_NAME string = bot.outputs.name
output AZURE_APP_SERVICE_NAME string = hostingMode == 'appService' ? app.outputs.name : ''
output AZURE_OPENAI_ENDPOINT string = openAi.outputs.endpoint
output AZURE_OPENAI_DEPLOYMENT string = openAi.outputs.chatDeploymentName
output AZURE_OPENAI_EMBEDDING_DEPLOYMENT string = openAi.outputs.embeddingDeploymentName
output AZURE_OPENAI_API_VERSION string = openAiApiVersion
output AZURE_SEARCH_ENDPOINT string = search.outputs.endpoint
output AZURE_SEARCH_SERVICE_NAME string = search.outputs.name
output AZURE_SEARCH_INDEX string = storage.searchIndex
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_ACCOUNT_NAME string = cosmos.outputs.accountName
output COSMOS_DATABASE string = cosmos.outputs.databaseName
output AZURE_INGEST_IDENTITY_NAME string = ingestIdentity.outputs.name
output AZURE_INGEST_IDENTITY_CLIENT_ID string = ingestIdentity.outputs.clientId
output AZURE_INGEST_IDENTITY_PRINCIPAL_ID string = ingestIdentity.outputs.principalId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AZURE_CONTAINER_REGISTRY_NAME string = hostingMode == 'containerApps' ? containerApp.outputs.registryName : ''
output AZURE_CONTAINER_APP_NAME string = hostingMode == 'containerApps' ? containerApp.outputs.name : ''
