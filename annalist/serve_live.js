/* Live preview (annalist serve only; never part of a built site): reload the page when a new build
   is on disk, and show the last build's errors over the page while it failed. */
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script.getAttribute("data-generation");
  var state = new URL("state", script.src).href;
  var banner = null;

  function show(status) {
    var lines = status.failed
      ? ["The last build failed: this is the site as it was before it. Fix the problem and save; the page reloads when the build succeeds."]
      : ["The last build published the site with errors:"];
    if (!status.errors.length && !status.building) {
      if (banner) { banner.remove(); banner = null; }
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "annalist-live";
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:40vh;overflow:auto;" +
        "margin:0;padding:0.75em 1em;background:#7a0010;color:#fff;font:15px/1.4 system-ui,sans-serif;" +
        "white-space:pre-wrap;box-shadow:0 -2px 8px rgba(0,0,0,.4)";
      document.body.appendChild(banner);
    }
    if (status.building && !status.errors.length) {
      banner.style.background = "#123";
      banner.textContent = "Rebuilding\u2026";
      return;
    }
    banner.style.background = "#7a0010";
    banner.textContent = lines.concat(status.errors).join("\n") + (status.building ? "\nRebuilding\u2026" : "");
  }

  function poll() {
    fetch(state, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (status) {
        if (status.generation !== shown) {
          location.reload();
          return;
        }
        show(status);
        setTimeout(poll, 1000);
      }, function () {
        setTimeout(poll, 2000); /* the server stopped or restarts: keep asking */
      });
  }

  poll();
})();
