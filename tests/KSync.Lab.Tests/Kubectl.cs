using System.Diagnostics;
using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary>Runs the real kubectl (on PATH) against the lab, as a second, independent client.</summary>
internal static class Kubectl
{
    public static string Path => Requires.Tool("kubectl", "kubectl (expected on the machine)");

    public static Task<ProcessResult> RunAsync(string kubeconfig, string cacheDir, params string[] args)
        => ProcessRunner.RunAsync(Path, ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, .. args], timeout: TimeSpan.FromSeconds(60));

    /// <summary>Starts a long-running kubectl (e.g. get -w) whose stdout lines are collected.</summary>
    public static (Process Process, Func<string> Output) Start(string kubeconfig, string cacheDir, params string[] args)
        => Start(kubeconfig, cacheDir, new Dictionary<string, string>(), args);

    /// <summary>Starts a long-running kubectl with extra environment variables; stdout and stderr lines are collected.</summary>
    public static (Process Process, Func<string> Output) Start(string kubeconfig, string cacheDir, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        foreach (var arg in new[] { "--kubeconfig", kubeconfig, "--cache-dir", cacheDir }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        var output = new System.Text.StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, () => { lock (output) { return output.ToString(); } });
    }
}
