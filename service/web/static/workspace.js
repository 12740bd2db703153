// Tawsiya workspace: the little script the pages need. Everything works without it, except the
// live import progress and the keyboard shortcuts of the clusters page.
"use strict";

// Swap in a fresh copy of a block marked data-poll="URL" every second until it stops asking.
function pollBlocks() {
  const block = document.querySelector("[data-poll]");
  if (!block) return;
  setTimeout(async () => {
    try {
      const response = await fetch(block.dataset.poll, { credentials: "same-origin" });
      if (response.ok) {
        const holder = document.createElement("div");
        holder.innerHTML = await response.text();
        const fresh = holder.firstElementChild;
        if (fresh) block.replaceWith(fresh);
      }
    } finally {
      pollBlocks();
    }
  }, 1000);
}

function typing(event) {
  const tag = event.target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.target.isContentEditable;
}

// Clusters page: j / k move between clusters, c confirms, x marks for merging, m merges the two marked.
function clusterKeys() {
  const cards = Array.from(document.querySelectorAll("[data-cluster]"));
  if (!cards.length) return;
  // back from a decision (…#cluster-ID): the keyboard goes on from that cluster
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.matches("[data-cluster]")) target.focus();
  const current = () => cards.indexOf(document.activeElement.closest("[data-cluster]"));
  const focusCard = (index) => cards[Math.max(0, Math.min(cards.length - 1, index))].focus();
  document.addEventListener("keydown", (event) => {
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    const index = current();
    const card = cards[index];
    if (event.key === "j") focusCard(index + 1);
    else if (event.key === "k") focusCard(index < 0 ? 0 : index - 1);
    else if (event.key === "c" && card) card.querySelector("form.confirm button")?.click();
    else if (event.key === "x" && card) card.querySelector("input[name=cluster]")?.click();
    else if (event.key === "m") document.querySelector("#merge-selected")?.click();
    else return;
    event.preventDefault();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  pollBlocks();
  clusterKeys();
});
