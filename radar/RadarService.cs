using System.Runtime.InteropServices;
using Grpc.Core;
using KSync.Proto.Radar.V1;
using VersionInfo = KSync.Proto.Radar.V1.VersionInfo;

namespace KSync.Radar;

/// <summary>The gRPC implementation of <c>ksync.radar.v1.Radar</c> (proto/radar.proto).</summary>
internal sealed class RadarService : Proto.Radar.V1.Radar.RadarBase
{
    /// <inheritdoc/>
    public override Task<VersionInfo> GetVersionInfo(GetVersionInfoRequest request, ServerCallContext context)
    {
        var build = BuildInfo.Current;
        return Task.FromResult(new VersionInfo
        {
            Version = build.Version,
            GitCommit = build.Commit,
            BuildDate = build.BuildDate,
            RuntimeVersion = RuntimeInformation.FrameworkDescription,
            Platform = $"{(OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription)}/{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}",
        });
    }
}
