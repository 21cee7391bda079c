export * from './order';
export { CosmosOrderService } from './cosmosOrderService';
export { RestOrderService, type RestOrderServiceOptions } from './restOrderService';
export { loadOrdersFile, seedOrders, SAMPLE_ORDERS_PATH } from './seedOrders';
export { searchOrders } from './orderSearch';
export { deliveryDate, returnBlocker, returnDeadline, returnWindow, type ReturnWindow } from './returnWindow';
