// Linli's small page behaviours: confirmation before destructive actions, select-all checkboxes.
document.addEventListener("submit", function (event) {
  const form = event.target;
  const message = form.getAttribute("data-confirm") || (event.submitter && event.submitter.getAttribute("data-confirm"));
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
document.addEventListener("change", function (event) {
  const box = event.target;
  if (box.matches("input[data-select-all]")) {
    document.querySelectorAll(box.getAttribute("data-select-all")).forEach(function (item) { item.checked = box.checked; });
  }
});
