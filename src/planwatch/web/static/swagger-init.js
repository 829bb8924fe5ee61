// Start Swagger UI on /api/docs from the vendored bundle; a static file, as the CSP allows no inline script.
(function () {
  "use strict";

  window.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("swagger-ui");
    window.ui = SwaggerUIBundle({
      url: el.dataset.openapiUrl,
      dom_id: "#swagger-ui",
      layout: "BaseLayout",
      deepLinking: true,
      showExtensions: true,
      showCommonExtensions: true,
      validatorUrl: null,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
    });
  });
})();
