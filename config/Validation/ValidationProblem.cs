namespace KSync.Config.Validation;

/// <summary>One thing wrong with a command's input: what is wrong, and how to fix it.</summary>
/// <param name="Message">What is wrong, one sentence naming the value.</param>
/// <param name="Hint">How to fix it.</param>
public sealed record ValidationProblem(string Message, string Hint);
