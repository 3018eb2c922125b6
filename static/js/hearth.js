// Hearth's only script. Everything works without it; it only enhances.
(function () {
  "use strict";
  // Quick exit: replace this history entry so Back does not return here,
  // and blank the page at once.
  function leave(href) {
    document.body.textContent = "";
    document.title = "";
    window.location.replace(href);
  }
  var exit = document.querySelector("[data-quick-exit]");
  if (exit) {
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      leave(exit.getAttribute("href"));
    });
    var lastEscape = 0;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var now = Date.now();
      if (now - lastEscape < 1000) { leave(exit.getAttribute("href")); }
      lastEscape = now;
    });
  }
  // Language switch: submit as soon as a language is chosen.
  var lang = document.querySelector("[data-autosubmit]");
  if (lang) {
    lang.addEventListener("change", function () { lang.form.submit(); });
  }
})();
