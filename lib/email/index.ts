export { enqueueEmail, listMailbox, readBody, type EmailMessage } from "./outbox";
export { deliverDueEmails, kickEmailDelivery, startEmailWorker } from "./deliver";
