using System.CommandLine;

namespace KSync.Plugin.Completion;

/// <summary>Reading the words before the one being completed.</summary>
internal sealed partial class Completer
{
    private CommandLine Walk(IEnumerable<string> words)
    {
        var line = new CommandLine(root);
        foreach (var word in words)
        {
            if (line.PendingOption is { } pending)
            {
                line.OptionValues[pending] = word;
                line.PendingOption = null;
            }
            else if (!line.AfterDoubleDash && word == "--")
            {
                line.AfterDoubleDash = true;
            }
            else if (!line.AfterDoubleDash && word.Length > 1 && word.StartsWith('-'))
            {
                ReadOption(line, word);
            }
            else if (line.Positionals.Count == 0 && !line.AfterDoubleDash
                && line.Command.Subcommands.FirstOrDefault(c => c.Name == word || c.Aliases.Contains(word)) is { } subcommand)
            {
                line.Command = subcommand;
            }
            else
            {
                line.Positionals.Add(word);
            }
        }

        return line;
    }

    private static void ReadOption(CommandLine line, string word)
    {
        var equals = word.IndexOf('=', StringComparison.Ordinal);
        var name = equals > 0 ? word[..equals] : word;
        if (FindOption(line.Command, name) is { } option)
        {
            if (equals > 0)
            {
                line.OptionValues[option] = word[(equals + 1)..];
            }
            else if (TakesValue(option))
            {
                line.PendingOption = option;
            }

            return;
        }

        // -nvalue: a short option with its value attached.
        if (!word.StartsWith("--", StringComparison.Ordinal) && word.Length > 2
            && FindOption(line.Command, word[..2]) is { } shortOption && TakesValue(shortOption))
        {
            line.OptionValues[shortOption] = word[2..];
        }
    }

    /// <summary>What the words before the completed one said.</summary>
    /// <param name="root">The root command, where the walk starts.</param>
    private sealed class CommandLine(Command root)
    {
        /// <summary>Gets or sets the innermost command named so far.</summary>
        public Command Command { get; set; } = root;

        /// <summary>Gets or sets the option whose value is the word being completed, if any.</summary>
        public Option? PendingOption { get; set; }

        /// <summary>Gets or sets a value indicating whether a <c>--</c> ended the options.</summary>
        public bool AfterDoubleDash { get; set; }

        /// <summary>Gets option values given so far (last one wins).</summary>
        public Dictionary<Option, string> OptionValues { get; } = [];

        /// <summary>Gets the positional words of <see cref="Command"/> given so far.</summary>
        public List<string> Positionals { get; } = [];
    }
}
