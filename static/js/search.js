/* Search page: Pagefind's UI over http(s). (The file:// fallback is added by the offline issue.) */
(function () {
  "use strict";
  var box = document.getElementById("search");
  var bundle = box.getAttribute("data-bundle");
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = function () {
    new window.PagefindUI({ element: "#search", bundlePath: bundle, showImages: false, showSubResults: true });
    var input = box.querySelector("input");
    if (input) input.setAttribute("aria-label", "Search the archive");
  };
  document.head.appendChild(script);
})();
