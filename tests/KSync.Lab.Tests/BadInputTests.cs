using KSync.Lab.Api;
using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary>Bad input for init, clean and doctor: a clear message, a non-zero exit code, the cluster untouched.</summary>
[Collection(LabGroup.Name)]
public sealed class BadInputTests(LabFixture fixture) : IDisposable
{
    private readonly TempDirectory _home = new("ksync-home");

    public void Dispose() => _home.Dispose();

    public static TheoryData<string> Commands => new() { "init", "clean", "doctor" };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EveryCommand_RejectsBadInput_AndLeavesTheClusterAlone(string command)
    {
        var lab = fixture.LabOnly("checks the lab's objects and access rules");
        var dead = _home.WriteFile("dead.kubeconfig", DoctorTests.DeadKubeconfig());
        var cases = new (string[] Args, string Expected)[]
        {
            (["--kubeconfig", _home.Combine("no-such-file")], "does not exist"),
            (["--kubeconfig", lab.KubeconfigPath, "--context", "no-such-context"], "The context 'no-such-context' does not exist"),
            (["--kubeconfig", lab.KubeconfigPath, "-n", "Not_A_Namespace"], "is not a valid namespace name"),
            (["--kubeconfig", dead], "Cannot reach the cluster"),
            (["--kubeconfig", lab.KubeconfigPath, "--no-such-flag"], "--no-such-flag"),
        };
        foreach (var (args, expected) in cases)
        {
            var result = await PluginCli.RunAsync(_home.Path, [command, .. args]);
            Assert.True(result.ExitCode != 0, $"{command} {string.Join(' ', args)} should fail:\n{result.Output}");
            Assert.True(
                result.Stderr.Contains(expected, StringComparison.Ordinal) || result.Stdout.Contains(expected, StringComparison.Ordinal),
                $"{command} {string.Join(' ', args)} should say '{expected}':\n{result.Output}");
            Assert.Null(lab.Store.Get(ResourceKind.Namespaces, null, "ksync"));
        }
    }

    [Fact]
    public async Task Init_RejectsBadTimeoutAndImage()
    {
        var lab = fixture.LabOnly("checks the lab's objects and access rules");
        var timeout = await PluginCli.RunAsync(_home.Path, "init", "--remote", "--timeout", "soon", "--kubeconfig", lab.KubeconfigPath);
        Assert.NotEqual(0, timeout.ExitCode);
        Assert.Contains("--timeout must be a positive duration", timeout.Stderr, StringComparison.Ordinal);
        var image = await PluginCli.RunAsync(_home.Path, "init", "--remote", "--image", "Not A Valid::Image", "--kubeconfig", lab.KubeconfigPath);
        Assert.Equal(1, image.ExitCode);
        Assert.Contains("is not a valid image reference", image.Stderr, StringComparison.Ordinal);
        var local = await PluginCli.RunAsync(_home.Path, "init", "--local");
        Assert.Equal(1, local.ExitCode);
        Assert.Contains("not available in this build", local.Stderr, StringComparison.Ordinal);
        Assert.Null(lab.Store.Get(ResourceKind.Namespaces, null, "ksync"));
    }
}
