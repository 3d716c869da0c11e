using System.CommandLine;
using KSync.Plugin.Commands;
using KSync.Plugin.Completion;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Completion;

/// <summary>The completer in-process, for what the shipped command tree cannot show yet.</summary>
public sealed class CompleterTests
{
    [Fact]
    public async Task Complete_CommandAddedLaterNamedReload_CompletesSpecNames()
    {
        using var home = new TempDirectory("ksync-completer");
        File.WriteAllText(home.Combine("ksync.yaml"), "spec:\n- name: api-sync\n  selector: [app=api]\n  localpath: /src\n  remotepath: /app\n- name: web-sync\n  selector: [app=web]\n  localpath: /src\n  remotepath: /app\n");
        var context = new CliContext
        {
            Out = TextWriter.Null,
            Error = TextWriter.Null,
            Environment = name => name == "KSYNC_HOME" ? home.Path : null,
        };
        var root = new KsyncRootCommand(context);

        // What the watch branch adds: `reload NAME...`.
        root.Subcommands.Add(new Command("reload", "Reload containers") { Arguments = { new Argument<string[]>("name") { Arity = ArgumentArity.ZeroOrMore } } });
        var completer = new Completer(root, new CompletionValues(context));

        var all = await completer.CompleteAsync(["reload", ""], TestContext.Current.CancellationToken);
        var rest = await completer.CompleteAsync(["reload", "web-sync", ""], TestContext.Current.CancellationToken);
        var commands = await completer.CompleteAsync(["re"], TestContext.Current.CancellationToken);

        Assert.Equal(["api-sync", "web-sync"], all.Candidates.Select(c => c.Value));
        Assert.Equal(ShellCompDirective.NoFileComp, all.Directive);
        Assert.Equal(["api-sync"], rest.Candidates.Select(c => c.Value));
        Assert.Equal(["reload"], commands.Candidates.Select(c => c.Value));
    }

    [Fact]
    public async Task Write_PrintsCandidatesThenTheDirective()
    {
        var writer = new StringWriter();
        var result = new CompletionResult([new("a", "first\tline\nsecond"), new("b")], ShellCompDirective.NoFileComp | ShellCompDirective.NoSpace);

        await result.WriteAsync(writer, TestContext.Current.CancellationToken);

        Assert.Equal("a\tfirst line\nb\n:6\n", writer.ToString());
    }
}
