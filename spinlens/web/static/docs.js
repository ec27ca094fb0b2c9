// Starts the vendored Swagger UI on the app's own OpenAPI document (no CDN, no inline script).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle === "undefined") { return; }
  window.SwaggerUIBundle({
    url: element.getAttribute("data-spec-url"),
    domNode: element,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
