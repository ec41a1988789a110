/* Annalist reading tools. Everything here is an enhancement: without JavaScript every link,
   anchor and footnote still works. No network requests. */
(function () {
  "use strict";
  var root = document.documentElement;
  var store = {
    get: function (k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* file:// may refuse */ } }
  };

  /* Toggles: entity highlighting (on by default) and single-source marks (off by default). */
  var labels = {
    "no-highlight": ["Entity highlighting: on", "Entity highlighting: off"],
    "show-single": ["Single-source sentences: hidden", "Single-source sentences: marked"]
  };
  function applyToggle(name, on, button) {
    root.classList.toggle(name, on);
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = labels[name][on ? 1 : 0];
    }
  }
  document.querySelectorAll(".reading-tools").forEach(function (tools) { tools.hidden = false; });
  document.querySelectorAll("button[data-toggle]").forEach(function (button) {
    var name = button.getAttribute("data-toggle");
    applyToggle(name, store.get("annalist:" + name) === "1", button);
    button.addEventListener("click", function () {
      var on = !root.classList.contains(name);
      applyToggle(name, on, button);
      store.set("annalist:" + name, on ? "1" : "0");
    });
  });

  /* "Copy link" beside each paragraph number; the number itself is the plain link. */
  document.querySelectorAll("a.pnum").forEach(function (anchor) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.textContent = "copy link";
    button.setAttribute("aria-label", "Copy link to " + anchor.textContent.replace(/\s+/g, " "));
    button.setAttribute("data-pagefind-ignore", "");
    button.addEventListener("click", function () {
      var url = anchor.href;
      var done = function () { button.textContent = "copied"; setTimeout(function () { button.textContent = "copy link"; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, function () { window.prompt("Link to this paragraph:", url); });
      } else {
        window.prompt("Link to this paragraph:", url);
      }
    });
    anchor.insertAdjacentElement("afterend", button);
  });

  /* Entity cards on hover, keyboard focus and touch. */
  var dataEl = document.getElementById("entity-cards");
  if (!dataEl) return;
  var cards = JSON.parse(dataEl.textContent);
  var card = document.createElement("div");
  card.className = "entity-card";
  card.id = "entity-card";
  card.setAttribute("role", "tooltip");
  card.hidden = true;
  document.body.appendChild(card);
  var current = null, touched = null;

  function text(tag, cls, value) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = value;
    return el;
  }
  function show(link) {
    var info = cards[link.getAttribute("data-entity")];
    if (!info) return;
    card.replaceChildren(text("div", "type", info.type), text("strong", "", info.name));
    if (info.aliases.length) card.appendChild(text("p", "", "Also: " + info.aliases.join(", ")));
    if (info.description) card.appendChild(text("p", "", info.description));
    var more = text("a", "", "Entity page →");
    more.href = link.href;
    card.appendChild(more);
    var box = link.getBoundingClientRect();
    card.hidden = false;
    card.style.left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + root.clientWidth - card.offsetWidth - 8)) + "px";
    card.style.top = (window.scrollY + box.bottom + 6) + "px";
    link.setAttribute("aria-describedby", "entity-card");
    current = link;
  }
  function hide() {
    if (current) current.removeAttribute("aria-describedby");
    card.hidden = true;
    current = null;
  }
  document.querySelectorAll("a.entity[data-entity]").forEach(function (link) {
    link.addEventListener("mouseenter", function () { show(link); });
    link.addEventListener("focus", function () { show(link); });
    link.addEventListener("blur", function () { setTimeout(function () { if (!card.contains(document.activeElement)) hide(); }, 0); });
    link.addEventListener("touchend", function (event) {
      if (touched !== link) { event.preventDefault(); touched = link; show(link); }
    });
  });
  document.addEventListener("mouseover", function (event) {
    if (current && !current.contains(event.target) && !card.contains(event.target)) hide();
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
  document.addEventListener("touchstart", function (event) {
    if (current && !current.contains(event.target) && !card.contains(event.target)) { hide(); touched = null; }
  });
})();
