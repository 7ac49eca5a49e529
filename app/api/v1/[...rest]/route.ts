import { apiError } from "@/lib/api/handler";

/** Unknown API paths answer in JSON too. */
function notFound() {
  return apiError(404, "not_found", "No such endpoint. See /api/v1/openapi.json.");
}
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
