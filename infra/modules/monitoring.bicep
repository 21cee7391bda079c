// Log Analytics workspace and workspace-based Application Insights for the web app.
param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
  }
}

// Names only: the web app module reads the connection string from the resource itself.
output logAnalyticsName string = logAnalytics.name
output applicationInsightsName string = applicationInsights.name
output logAnalyticsId string = logAnalytics.id
output applicationInsightsId string = applicationInsights.id
