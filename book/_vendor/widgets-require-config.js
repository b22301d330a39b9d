// Make the vendored widget manager find its icon fonts locally (no CDN): embed-amd.js
// takes its asset path from this global or from a module's URI relative to the page.
(function () {
  var root = document.documentElement.getAttribute("data-content_root") || "";
  var assets = new URL(root + "_static/html-manager/", document.baseURI).href;
  window.__jupyter_widgets_assets_path__ = assets;
  require.config({
    // The widget modules are defined inside embed-amd.js; webpack derives each one's
    // asset folder from its module URI, so map the whole scope to the vendored folder.
    paths: {
      "@jupyter-widgets": assets.replace(/\/$/, ""),
      "@jupyter-widgets/html-manager/dist": assets.replace(/\/$/, ""),
    },
  });
})();
