/* Every page of the course site: the theme toggle, and keyboard access to blocks that scroll sideways. */
(function () {
  "use strict";
  const root = document.documentElement;
  const KEY = "bigram-site-theme";
  const media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function current() {
    const chosen = root.getAttribute("data-theme");
    if (chosen === "light" || chosen === "dark") return chosen;
    return media && media.matches ? "dark" : "light";
  }

  const button = document.getElementById("theme-toggle");
  if (button) {
    const sync = () => button.setAttribute("aria-pressed", String(current() === "dark"));
    button.hidden = false; // a plain button: Enter and Space press it
    button.addEventListener("click", () => {
      const next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        localStorage.setItem(KEY, next);
      } catch (e) {
        /* storage refused (some file:// settings): the choice lasts for this page */
      }
      sync();
    });
    if (media && media.addEventListener) media.addEventListener("change", sync);
    sync();
  }

  // A code or output block wider than the page scrolls sideways: give it a tab stop so the keyboard can scroll it.
  function scrollables() {
    document.querySelectorAll("article pre, article .output_subarea, article .table-wrap").forEach((el) => {
      const wide = el.scrollWidth > el.clientWidth + 1;
      if (wide && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-scroll-stop", "");
      } else if (!wide && el.hasAttribute("data-scroll-stop")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-scroll-stop");
      }
    });
  }
  scrollables();
  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(scrollables, 150);
  });
})();
