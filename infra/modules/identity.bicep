// A user-assigned managed identity. main.bicep makes two: the bot's (its Entra app, BOT_ID, and the
// principal of the bot's data-plane roles) and the ingestion identity (index creation, `npm run ingest`).
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output resourceId string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output tenantId string = identity.properties.tenantId
output name string = identity.name
