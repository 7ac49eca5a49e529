export { enqueueEmail, listDeliveries, listMailbox, readBody, type Delivery, type EmailMessage } from "./outbox";
export { deliverDueEmails, kickEmailDelivery, startEmailWorker } from "./deliver";
export { deliveryDetail } from "./delivery-detail";
