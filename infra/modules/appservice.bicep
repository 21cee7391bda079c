// Linux App Service plan and Node 22 web app hosting the bot (restify on $PORT).
param planName string
param appName string
param location string
param tags object
param sku string

@description('Node.js runtime, e.g. 20-lts.')
param nodeVersion string

@description('Resource id of the user-assigned identity the app runs as.')
param identityResourceId string

@description('Application Insights component whose connection string the app reports to.')
param applicationInsightsName string

@description('App settings (endpoints and names only; never keys).')
param appSettings object

@description('Subnet for regional VNet integration (outbound through the VNet, to the private endpoints); empty = none.')
param vnetSubnetId string = ''

@description('Resource id of the Log Analytics workspace the diagnostic settings send to.')
param logAnalyticsWorkspaceId string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: sku
  }
  properties: {
    reserved: true // Linux
  }
}

var allSettings = union(appSettings, {
  // The connection string identifies the component; it is not an access key.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
})

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'bot' })
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityResourceId
    virtualNetworkSubnetId: empty(vnetSubnetId) ? null : vnetSubnetId
    vnetRouteAllEnabled: !empty(vnetSubnetId)
    siteConfig: {
      linuxFxVersion: 'NODE|${nodeVersion}'
      appCommandLine: 'npm start'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in items(allSettings): { name: setting.key, value: setting.value }]
    }
  }
}

// FTP basic-auth publishing off (deployment goes through the SCM zip deploy endpoint).
resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}


// Console (pino JSON on stdout), HTTP and platform logs of the web app to Log Analytics.
resource appDiagnostics 'Microsoft.Insights/diagnosticSettings@2016-09-01' = {
  scope: app
  name: 'to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceAppLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

output resourceId string = app.id
output name string = app.name
output defaultHostName string = app.properties.defaultHostName
