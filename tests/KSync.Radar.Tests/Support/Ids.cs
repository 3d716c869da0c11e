namespace KSync.Radar.Tests.Support;

internal static class Ids
{
    public static string Docker(string id) => "docker://" + id;

    public static string Containerd(string id) => "containerd://" + id;

    public static string Unknown => new('a', 64);
}
