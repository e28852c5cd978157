// The API documentation page: Swagger UI draws /api/v1/openapi.json into #api-docs.
// A file, not an inline script, so the page keeps the app's Content-Security-Policy.
(function () {
  "use strict";
  var element = document.getElementById("api-docs");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: element.getAttribute("data-spec-url"),
    domNode: element,
    deepLinking: false,
    // No validator badge: it would send the document to a server elsewhere.
    validatorUrl: null,
    // Reading results is the API's only operation, and it is safe to try.
    supportedSubmitMethods: ["get"],
    defaultModelsExpandDepth: 0
  });
})();
