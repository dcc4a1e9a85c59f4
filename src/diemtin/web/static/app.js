// Press "/" anywhere to jump to the search box (no other script runs on these pages).
document.addEventListener("keydown", (ev) => {
  const box = document.querySelector('input[type="search"]');
  if (ev.key === "/" && box && document.activeElement !== box) {
    ev.preventDefault();
    box.focus();
  }
});
