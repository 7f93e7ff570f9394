/**
 * The HTTP half of the contract: the operation types, error codes and error body come from the floor
 * below the server and the pages (systems/httpContract.ts); each operation is declared next to its
 * handler in its route file (src/http/*Routes.ts) and collected by src/http/operations.ts.
 * A route the document leaves out on purpose (a page, a redirect, the third-party monitor) is declared with
 * `page()` and its reason; test/unit/contract/routeCoverage.test.ts holds both against what the app serves.
 */
export {
  errorCodesOf,
  errorStatusesOf,
  HTTP_ERROR,
  HTTP_TAGS,
  routerPath,
  STATUS_BY_CODE,
  type ErrorCode,
  type HttpAuth,
  type HttpMethod,
  type HttpOperation,
  type HttpResponse,
  type HttpTag,
} from '../systems/httpContract.js';
