// Where the pages find the API. Empty: the same origin that serves the pages (the local runner, or a
// static host that forwards /v1/* to API Gateway). For pages on another origin, put the API's base URL
// here, including the stage on AWS, e.g. "https://abc123.execute-api.eu-west-1.amazonaws.com/prod";
// that origin must then be allowed by the pages' Content-Security-Policy (connect-src) and by the API's
// CORS settings (the tenant's allowedOrigins for the public pages, AllowedDashboardOrigins for the
// dashboard).
export const API_BASE_URL = '';
