import { NotFoundMessage } from "@/components/shell/not-found-message";

// A console page's notFound() renders inside the console's own <main>: a second one would
// be a nested, duplicate landmark (axe: landmark-no-duplicate-main).
export default function ConsoleNotFound() {
  return <NotFoundMessage />;
}
