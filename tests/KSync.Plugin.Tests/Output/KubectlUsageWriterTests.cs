using KSync.Plugin.Output;

namespace KSync.Plugin.Tests.Output;

public sealed class KubectlUsageWriterTests
{
    [Fact]
    public void Write_UsageLine_ShowsKubectlKsync()
    {
        var inner = new StringWriter();
        using (var writer = new KubectlUsageWriter(inner, "kubectl-ksync", "kubectl ksync"))
        {
            writer.WriteLine("Usage:");
            writer.Write("  kubectl-ksync create");
            writer.WriteLine(" <local> <remote> [options]");
            writer.WriteLine("see ~/.ksync/kubectl-ksync.log and kubectl-ksyncx");
        }

        Assert.Equal(
            "Usage:\n  kubectl ksync create <local> <remote> [options]\nsee ~/.ksync/kubectl-ksync.log and kubectl-ksyncx\n",
            inner.ToString().ReplaceLineEndings("\n"));
    }
}
