// Sign-on form of a statement open to organizations and individuals: show the fields of
// the chosen way of signing. Without JavaScript both sets stay visible and still work.
(function () {
  var form = document.querySelector(".signon-form");
  if (!form) return;
  function update() {
    var chosen = form.querySelector("input[name=signer_kind]:checked");
    var individual = chosen && chosen.value === "individual";
    form.querySelectorAll(".for-individual").forEach(function (el) { el.hidden = !individual; });
    form.querySelectorAll(".for-organization").forEach(function (el) { el.hidden = individual; });
  }
  form.addEventListener("change", update);
  update();
})();
