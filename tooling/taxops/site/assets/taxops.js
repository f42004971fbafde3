/* taxops guideline site: the quiz and the flashcards. No network, no innerHTML:
   everything shown comes from the page, which the build rendered and sanitised. */
(function () {
  "use strict";

  function shuffle(items) {
    for (var i = items.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = items[i]; items[i] = items[j]; items[j] = t;
    }
    return items;
  }

  function setupQuiz(quiz) {
    if (quiz.dataset.ready) return;
    quiz.dataset.ready = "1";
    var all = Array.prototype.slice.call(quiz.querySelectorAll(".tx-question"));
    var size = Math.min(parseInt(quiz.dataset.round, 10) || all.length, all.length);
    var passMark = parseInt(quiz.dataset.passMark, 10) || 80;
    var status = quiz.querySelector(".tx-quiz-status");
    var number = quiz.querySelector(".tx-quiz-number");
    var scoreOut = quiz.querySelector(".tx-quiz-score");
    var progress = quiz.querySelector(".tx-quiz-progress");
    var next = quiz.querySelector(".tx-quiz-next");
    var result = quiz.querySelector(".tx-quiz-result");
    var resultText = quiz.querySelector(".tx-quiz-result-text");
    var missedList = quiz.querySelector(".tx-quiz-missed");
    var round = [], at = 0, score = 0, missed = [];

    function reset(section) {
      section.hidden = true;
      section.querySelector(".tx-feedback").hidden = true;
      section.querySelectorAll(".tx-option").forEach(function (b) {
        b.disabled = false; b.classList.remove("tx-right", "tx-wrong");
      });
    }

    function show(i) {
      round.forEach(function (s, k) { s.hidden = k !== i; });
      number.textContent = String(i + 1);
      next.hidden = true;
      round[i].scrollIntoView({ block: "nearest" });
    }

    function start() {
      all.forEach(reset);
      round = shuffle(all.slice()).slice(0, size);
      at = 0; score = 0; missed = [];
      scoreOut.textContent = "0";
      progress.value = 0;
      result.hidden = true;
      status.hidden = false;
      show(0);
    }

    function answer(section, button) {
      if (section.dataset.answered === "1") return;
      section.dataset.answered = "1";
      var right = button.dataset.label === section.dataset.correct;
      section.querySelectorAll(".tx-option").forEach(function (b) {
        b.disabled = true;
        if (b.dataset.label === section.dataset.correct) b.classList.add("tx-right");
      });
      if (!right) button.classList.add("tx-wrong");
      var verdict = section.querySelector(".tx-verdict");
      verdict.textContent = right ? "Right." : "Not quite: this item carries \u201c" + section.dataset.correctName + "\u201d.";
      section.querySelector(".tx-feedback").hidden = false;
      if (right) score += 1; else missed.push(section);
      scoreOut.textContent = String(score);
      progress.value = at + 1;
      next.textContent = at + 1 < round.length ? "Next question" : "See your score";
      next.hidden = false;
      next.focus();
    }

    function finish() {
      round.forEach(function (s) { s.hidden = true; s.dataset.answered = ""; });
      next.hidden = true;
      status.hidden = true;
      var percent = Math.round((100 * score) / round.length);
      var passed = percent >= passMark;
      resultText.textContent = "You scored " + score + " of " + round.length + " (" + percent + " %). " +
        "The pass mark is " + passMark + " %: " +
        (passed ? "passed. Keep the cheat sheet open while you label." :
                  "not passed yet. Read the labels below, then start a new round.");
      result.classList.toggle("tx-passed", passed);
      result.classList.toggle("tx-failed", !passed);
      while (missedList.firstChild) missedList.removeChild(missedList.firstChild);
      missed.forEach(function (s) {
        var item = document.createElement("li");
        item.appendChild(s.querySelector(".tx-read-more a").cloneNode(true));
        missedList.appendChild(item);
      });
      result.hidden = false;
      result.scrollIntoView({ block: "nearest" });
    }

    all.forEach(function (section) {
      section.querySelectorAll(".tx-option").forEach(function (button) {
        button.addEventListener("click", function () { answer(section, button); });
      });
    });
    next.addEventListener("click", function () {
      if (at + 1 < round.length) { at += 1; show(at); } else { finish(); }
    });
    quiz.querySelector(".tx-quiz-restart").addEventListener("click", function () {
      all.forEach(function (s) { s.dataset.answered = ""; });
      start();
    });
    var nojs = quiz.querySelector(".tx-quiz-nojs");
    if (nojs) nojs.hidden = true;
    if (all.length) start();
  }

  function setupCards(root) {
    var shuffleButton = root.querySelector(".tx-cards-shuffle");
    var grid = root.querySelector(".tx-cards");
    if (!shuffleButton || !grid || grid.dataset.ready) return;
    grid.dataset.ready = "1";
    shuffleButton.addEventListener("click", function () {
      shuffle(Array.prototype.slice.call(grid.children)).forEach(function (c) { grid.appendChild(c); });
    });
    root.querySelector(".tx-cards-close").addEventListener("click", function () {
      grid.querySelectorAll("details[open]").forEach(function (d) { d.open = false; });
    });
  }

  function init() {
    document.querySelectorAll(".tx-quiz").forEach(setupQuiz);
    setupCards(document);
    document.querySelectorAll(".tx-print").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState !== "loading") {
    init();
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
