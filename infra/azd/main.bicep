// Entry point for `azd up` (azure.yaml): the same infra/main.bicep, with the parameters azd supplies
// (azd reads <module>.parameters.json next to the module, and infra/main.parameters.json holds the
// Agents Toolkit's ${{...}} placeholders). Everything else keeps main.bicep's defaults.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(24)
@description('azd environment name (AZURE_ENV_NAME).')
param environmentName string

@description('Azure region (AZURE_LOCATION).')
param location string = resourceGroup().location

@description('E-mail address notified by the alert rules; empty = no receiver.')
param alertEmail string = ''

module main '../main.bicep' = {
  name: 'main'
  params: {
    environmentName: environmentName
    location: location
    alertEmail: alertEmail
  }
}

output BOT_ID string = main.outputs.BOT_ID
output BOT_ENDPOINT string = main.outputs.BOT_ENDPOINT
output AZURE_APP_SERVICE_NAME string = main.outputs.AZURE_APP_SERVICE_NAME
output AZURE_SEARCH_ENDPOINT string = main.outputs.AZURE_SEARCH_ENDPOINT
output AZURE_SEARCH_INDEX string = main.outputs.AZURE_SEARCH_INDEX
output AZURE_SEARCH_SERVICE_NAME string = main.outputs.AZURE_SEARCH_SERVICE_NAME
output AZURE_OPENAI_ENDPOINT string = main.outputs.AZURE_OPENAI_ENDPOINT
output AZURE_OPENAI_EMBEDDING_DEPLOYMENT string = main.outputs.AZURE_OPENAI_EMBEDDING_DEPLOYMENT
output AZURE_INGEST_IDENTITY_NAME string = main.outputs.AZURE_INGEST_IDENTITY_NAME
output AZURE_INGEST_IDENTITY_CLIENT_ID string = main.outputs.AZURE_INGEST_IDENTITY_CLIENT_ID
