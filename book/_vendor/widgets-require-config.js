// Point require.js at the vendored widget manager, relative to the page's content root,
// so embed-amd.js finds its modules and icon fonts locally (no CDN).
(function () {
  var root = document.documentElement.getAttribute("data-content_root") || "";
  require.config({
    paths: { "@jupyter-widgets/html-manager/dist": root + "_static/html-manager" },
  });
})();
